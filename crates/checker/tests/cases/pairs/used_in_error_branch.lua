-- Inside `if err then`, the value is nil: using it is reported.
local resp, err = http_client.get("http://localhost")
if err then
    print(resp.status_code) -- expect-warning: E0023 cannot index `resp`
end
