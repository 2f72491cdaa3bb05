-- Unused locals and imports are warnings; `_` prefixes and loop variables are exempt.
local json = require("json") --! W0006
local used = 1
local unused = 2 --! W0004
local _ignored = 3
for i, v in ipairs({}) do
end
local function helper() --! W0004
end
print(used)
