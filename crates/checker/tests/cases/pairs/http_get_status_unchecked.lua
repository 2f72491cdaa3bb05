-- The response of a request whose error is not checked may be nil.
local function status(url: string): number
    local resp, err = http_client.get(url)
    if err then
        print("request failed", err)
    end
    return resp.status_code -- expect-warning: E0023 cannot index `resp`: it may be nil
end
print(status("http://localhost"))
