-- A pair assigned in a loop whose error local lives outside it.
local function last(urls: {string}): any
    local err
    local body
    for _, u in ipairs(urls) do
        local resp
        resp, err = http_client.get(u)
        if resp then
            body = resp.body
        end
    end
    if err then
        return nil
    end
    return body
end
print(last({}))
