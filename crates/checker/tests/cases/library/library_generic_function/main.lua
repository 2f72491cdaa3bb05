-- Its type parameters are instantiated at the importer's calls.
local util = require("util")

local function main()
    local s: string = util.first({ "a" })
    local n: integer = util.first({ "a" }) -- expect-error: cannot assign string? to `n`, declared integer
    print(s, n)
end

return { main = main }
