-- Library exports are sealed: reading a field they lack is an error, writing one replaces it.
local M = {}
M.name = "lib"
function M.greet(who: string): string
    return M.name .. who
end
M.name = "other"
print(M.greet("x"))
