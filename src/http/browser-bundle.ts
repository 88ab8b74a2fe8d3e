import { build } from 'esbuild';

/**
 * Bundles browser TypeScript (`<dir>/<name>.ts` for each name) into one ES module each, in
 * memory (esbuild, once per server start): what the phone app and the console serve.
 */
export async function bundleBrowserScripts(
  dir: URL,
  names: readonly string[],
): Promise<Map<string, Buffer>> {
  const bundle = await build({
    entryPoints: Object.fromEntries(
      names.map((name) => [name, new URL(`${name}.ts`, dir).pathname]),
    ),
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    write: false,
    outdir: '/',
    logLevel: 'silent',
  });
  const scripts = new Map<string, Buffer>();
  for (const name of names) {
    const file = bundle.outputFiles.find((out) => out.path === `/${name}.js`);
    if (file === undefined) throw new Error(`the bundle has no ${name}.js`);
    scripts.set(name, Buffer.from(file.contents));
  }
  return scripts;
}
