import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';

/**
 * Questions on the terminal, answers from standard input (typed or piped). Hidden answers are
 * not echoed when standard input is a terminal.
 */
export function createTerminalPrompt(
  input: NodeJS.ReadableStream = process.stdin,
  prompts: NodeJS.WritableStream = process.stderr,
) {
  let muted = false;
  const echo = new Writable({
    write(chunk: Buffer, _encoding, done) {
      if (!muted) prompts.write(chunk);
      done();
    },
  });
  const terminal = (input as { isTTY?: boolean }).isTTY === true;
  const reader = createInterface({ input, output: echo, terminal });
  // The iterator buffers lines that arrive before they are asked for (piped input).
  const lines = reader[Symbol.asyncIterator]();

  const ask = async (question: string, hidden = false): Promise<string | undefined> => {
    prompts.write(question);
    muted = hidden;
    try {
      const line = await lines.next();
      return line.done === true ? undefined : String(line.value);
    } finally {
      muted = false;
      if (hidden && terminal) prompts.write('\n');
    }
  };

  return { ask, close: () => reader.close() };
}
