// The aiohttp peer reference, kept as Python source inside a .js file (bench/ holds only
// JavaScript): asyncio.gather over one ClientSession with no connection limit, bodies read.
// Run as `python3 -c AIOHTTP_GATHER_PY <urls-file>`; prints the same JSON fields as bench/raw/*.js.
export const AIOHTTP_GATHER_PY = `
import asyncio, json, sys, time
import aiohttp

def read_urls(path):
    with open(path) as f:
        return [s for s in (line.strip() for line in f) if s and not s.startswith('#')]

async def main(path):
    urls = read_urls(path)
    ok = 0
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=0)) as session:
        async def fetch(url):
            nonlocal ok
            try:
                async with session.get(url) as resp:
                    await resp.read()
                    if resp.status < 400:
                        ok += 1
            except Exception:
                pass
        t0 = time.perf_counter()
        await asyncio.gather(*(fetch(u) for u in urls))
        wall_ms = (time.perf_counter() - t0) * 1000
    print(json.dumps({"wallMs": wall_ms, "requests": len(urls), "ok": ok, "failed": len(urls) - ok,
                      "reqPerSec": len(urls) / (wall_ms / 1000)}))

asyncio.run(main(sys.argv[1]))
`;
