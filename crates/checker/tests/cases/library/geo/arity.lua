-- Calls of a library's functions are checked like local ones; its exports are exhaustive.
local geo = require("geo")

local function main()
    print(geo.norm()) -- expect-error: `geo.norm` expects 1 argument, got 0
    print(geo.norm(geo.origin(), 2)) -- expect-error: `geo.norm` expects 1 argument, got 2
    print(geo.nrom(geo.origin())) -- expect-error: no field `nrom` in `geo` (app:geo); did you mean `norm`?
end

return { main = main }
