-- `assert(v, err)` narrows the value.
local resp, err = http_client.get("http://localhost")
assert(resp, err)
print(resp.status_code)
