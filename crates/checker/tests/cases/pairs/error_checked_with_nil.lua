-- `if err ~= nil then return end` narrows as `if err then`.
local function body(url: string): string
    local resp, err = http_client.get(url)
    if err ~= nil then
        return ""
    end
    return resp.body or ""
end
print(body("http://localhost"))
