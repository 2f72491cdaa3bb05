-- `c and a or b` with non-nil a and b.
local function f(x: string?): integer
    local n = x and #x or 0
    return n + 1
end
print(f(nil))
