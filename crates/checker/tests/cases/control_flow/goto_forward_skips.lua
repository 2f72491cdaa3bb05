-- A forward `goto` skips statements; the label is reachable.
local function f(b: boolean): integer
    local n = 0
    if b then
        goto done
    end
    n = 1
    ::done::
    return n
end
print(f(true))
