-- mode: strict
-- A map read may be nil until narrowed.
local function f(m: {[string]: string}, k: string): integer
    local v = m[k]
    print(#v) -- expect-error: E0000 the operand of `#` may be nil
    if v then
        return #v
    end
    return 0
end
print(f({}, "a"))
