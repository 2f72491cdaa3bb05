-- `M:f(x)` passes `M` as the first argument of a function that does not expect it.
local M = {}
function M.double(x: integer): integer
    return x * 2
end
print(M.double(2))
print(M:double(2)) -- expect-error: `M:double` expects 0 arguments, got 1
