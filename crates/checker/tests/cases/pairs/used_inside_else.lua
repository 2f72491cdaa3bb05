-- In the `else` of `if err then`, the value is not nil.
local resp, err = http_client.get("http://localhost")
if err then
    print(err)
else
    print(resp.status_code)
end
