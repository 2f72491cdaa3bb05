-- Checking the value itself narrows it as well.
local function status(url: string): number
    local resp, err = http_client.get(url)
    if not resp then
        error(err)
    end
    return resp.status_code
end
print(status("http://localhost"))
