-- Options records of manifests check literal fields too.
local resp, err = http_client.get("http://x", { timout = 5 }) -- expect-error: `timout` is not a field of http_client.RequestOptions; did you mean `timeout`?
local ok = http_client.get("http://x", { timeout = 5, headers = { accept = "json" } })
print(resp, err, ok)
