import { runDecode } from './decode.js';

const USAGE = `usage: jitlsp <command> [args]

commands:
  decode <bolt12-string>   print an offer (lno1), invoice_request (lnr1) or invoice (lni1) as JSON
  decode -                 the same, reading the string from stdin
`;

/** Entry point of the `jitlsp` command line. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command, ...args] = argv;
  const io = {
    out: (s: string) => void process.stdout.write(s),
    err: (s: string) => void process.stderr.write(s),
    readStdin: async () => {
      const chunks: Buffer[] = [];
      for await (const c of process.stdin) chunks.push(c as Buffer);
      return Buffer.concat(chunks).toString('utf8');
    },
  };
  switch (command) {
    case 'decode':
      return runDecode(args, io);
    case 'help':
    case '--help':
    case '-h':
      io.out(USAGE);
      return 0;
    default:
      io.err(`jitlsp: unknown command ${JSON.stringify(command ?? '')}\n${USAGE}`);
      return 2;
  }
}
