// Loaded with `node --import` only when /usr/bin/time is missing: at exit, writes
// "<user s> <system s> <maxRSS KiB>" (GNU time's "%U %S %M") to the file in BENCH_USAGE_FILE.
import { writeFileSync } from 'node:fs';

const file = process.env.BENCH_USAGE_FILE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, `${u.userCPUTime / 1e6} ${u.systemCPUTime / 1e6} ${u.maxRSS}\n`);
  });
}
