// The client honours HTTP_PROXY, HTTPS_PROXY and NO_PROXY: a developer's or a CI runner's proxy
// must not carry the suite's loopback requests. Tests that are about proxies set their own.
for (const name of ['http_proxy', 'HTTP_PROXY', 'https_proxy', 'HTTPS_PROXY', 'no_proxy', 'NO_PROXY']) delete process.env[name];
