import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { describeHosts } from '../../src/run/workload.js';

describe('describeHosts', () => {
  it('names up to three hosts in order of appearance, without user info', () => {
    expect(describeHosts(['http://a.example/1', 'http://a.example/2', 'https://u:p@b.example/x'])).toBe('a.example, b.example');
    expect(describeHosts(['http://a.example/', 'http://b.example/', 'http://c.example/', 'http://d.example/'])).toBe('a.example, b.example, c.example, …');
  });

  it('finds a second host after many URLs of the first, and does not take a longer host for the same one', () => {
    const urls = Array.from({ length: 10_000 }, (_, i) => `http://127.0.0.1:8080/item/${i}`);
    expect(describeHosts(urls)).toBe('127.0.0.1:8080');
    expect(describeHosts([...urls, 'http://127.0.0.1:8081/x'])).toBe('127.0.0.1:8080, 127.0.0.1:8081');
    expect(describeHosts(['http://a.example', 'http://a.example.org/'])).toBe('a.example, a.example.org');
  });

  it('names a host once whatever its scheme, and a host that comes back after another once', () => {
    expect(describeHosts(['http://a.example/1', 'https://a.example/2', 'http://b.example/', 'http://a.example/3'])).toBe('a.example, b.example');
  });

  it('names the hosts a URL-by-URL reading names, for any list of look-alike hosts', () => {
    const url = fc.tuple(
      fc.constantFrom('http://', 'https://'),
      fc.constantFrom('a.example', 'a.example:8080', 'a.example.org', 'b.example', 'u:p@a.example', 'c.example', 'd.example'),
      fc.constantFrom('', '/', '/x', '/x/y', '/a.example/'),
    ).map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.array(url, { minLength: 1, maxLength: 30 }), (urls) => {
        const hosts: string[] = [];
        for (const u of urls) {
          const host = u.split('/')[2]!.replace(/^.*@/, '');
          if (!hosts.includes(host)) hosts.push(host);
        }
        expect(describeHosts(urls)).toBe(hosts.slice(0, 3).join(', ') + (hosts.length > 3 ? ', …' : ''));
      }),
      { numRuns: 300 },
    );
  });
});
