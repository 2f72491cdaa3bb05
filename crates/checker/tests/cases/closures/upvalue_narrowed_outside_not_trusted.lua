-- A closure does not trust a narrowing of an upvalue assigned later: it may run after (strict
-- mode reports the use; default mode, where such upvalues are set by code it cannot order, not).
type P = {name: string}
local function f(p: P?): () -> string
    local cur: P? = p
    if cur then
        local get = function(): string
            return cur.name
        end
        cur = nil
        return get
    end
    return function() return "" end
end
print(f(nil))
