-- A workflow must stay deterministic: http_client is not allowed here.
local time = require("time")
local http = require("http_client")

local function main()
    time.sleep("1s")
    local resp = http.get("https://example.invalid/")
    return resp
end

return { main = main }
