-- Functions of a module table keep their signatures.
local M = {}
function M.scale(x: number, by: number): number
    return x * by
end
print(M.scale(2, 3))
print(M.scale(2)) -- expect-error: `M.scale` expects 2 arguments, got 1
return M
