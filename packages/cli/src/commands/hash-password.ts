// `weir hash-password`: reads a password from stdin and prints the scrypt hash to put in the
// server configuration (`identity.users[].password_hash`). The password never appears on the
// command line (where `ps` would show it); on a terminal it is read without echo.
import { hashPassword } from '@weir/api';

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  // `echo secret | weir hash-password` adds one newline that is not part of the password.
  return Buffer.concat(chunks)
    .toString('utf8')
    .replace(/\r?\n$/, '');
}

/** One line from the terminal, not echoed. */
function readHidden(): Promise<string> {
  const stdin = process.stdin;
  process.stderr.write('Password: ');
  stdin.setRawMode(true);
  stdin.setEncoding('utf8');
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (error?: Error): void => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      process.stderr.write('\n');
      if (error) reject(error);
      else resolve(text);
    };
    const onData = (data: string): void => {
      for (const ch of data) {
        if (ch === '\r' || ch === '\n' || ch === '\u0004') return done();
        if (ch === '\u0003') return done(new Error('interrupted'));
        if (ch === '\u007f' || ch === '\b') text = text.slice(0, -1);
        else text += ch;
      }
    };
    stdin.on('data', onData);
    stdin.resume();
  });
}

export async function runHashPassword(): Promise<number> {
  let password: string;
  try {
    password = process.stdin.isTTY ? await readHidden() : await readPiped();
  } catch (error) {
    process.stderr.write(`weir hash-password: ${(error as Error).message}\n`);
    return 1;
  }
  if (password === '') {
    process.stderr.write('weir hash-password: the password is empty\n');
    return 2;
  }
  process.stdout.write(`${await hashPassword(password)}\n`);
  return 0;
}
