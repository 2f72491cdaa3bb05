-- `x or d` where `x` cannot be nil is `x`'s type.
type S = {id: string}
local function f(states: {S}): {S}
    for k, v in pairs(states) do
        v.id = v.id or tostring(k)
    end
    return states
end
print(f({}))
