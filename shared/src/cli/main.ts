/** Entry point of the `jitlsp` command line. Returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const [command] = argv;
  process.stderr.write(`jitlsp: unknown command ${JSON.stringify(command ?? '')}\n`);
  return 2;
}
