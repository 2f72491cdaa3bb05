-- Unused locals and imports are warnings; `_` prefixes and loop variables are exempt.
local json = require("json") -- expect-warning: W0006
local used = 1
local unused = 2 -- expect-warning: W0004
local _ignored = 3
for i, v in ipairs({}) do
end
local function helper() -- expect-warning: W0004
end
print(used)
