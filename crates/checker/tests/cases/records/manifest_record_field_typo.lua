-- Manifest records are declared records: a misspelled field of an HTTP response is E0004.
local function fetch(url: string): integer?
    local resp, err = http_client.get(url)
    if err then
        return nil
    end
    print(resp.body, resp.headers)
    return resp.status_cod -- expect-error: no field `status_cod` in http_client.Response; did you mean `status_code`?
end
print(fetch("http://x"))
