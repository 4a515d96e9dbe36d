// The bare Node pass-through process the CLI row is compared with.
process.stdin.pipe(process.stdout);
