/** A URL with its password replaced by `***`, for logs and banners (never print a DSN's secret). */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]*):[^@]*@/, '//$1:***@');
}
