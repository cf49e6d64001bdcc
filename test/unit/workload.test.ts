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
});
