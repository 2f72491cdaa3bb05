-- `not err and v.x`: the value is not nil on the right.
local resp, err = http_client.get("http://localhost")
local code = not err and resp.status_code
print(code)
