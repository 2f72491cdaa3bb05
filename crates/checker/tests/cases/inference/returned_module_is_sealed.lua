-- The table a chunk returns lists its members exactly.
local M = {}
function M.a(): integer
    return 1
end
print(M.a())
return M
