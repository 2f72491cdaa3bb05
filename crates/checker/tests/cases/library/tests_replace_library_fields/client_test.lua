-- A test replaces the library's field with a mock: its exports are not declarations.
local client = require("client")

local function main()
    client._http = { get = function() return "mocked" end }
    print(client.fetch("x"))
end

return { main = main }
