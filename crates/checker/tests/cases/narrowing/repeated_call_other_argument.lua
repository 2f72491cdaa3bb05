-- Another call of the same function proves nothing.
local function f(s: string): string?
    if s == "" then
        return nil
    end
    return s
end
if f("a") then
    print(f("b"):upper()) -- expect-error: E0021 cannot call a method of `f(…)`
end
