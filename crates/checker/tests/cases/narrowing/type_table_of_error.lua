-- `type(err) == "table"` on an `error`: what the error is made of is not known there.
local resp, err = http_client.get("http://localhost")
local msg = type(err) == "table" and (err.message or tostring(err)) or tostring(err)
print(resp, string.find(msg, "x", 1, true))
