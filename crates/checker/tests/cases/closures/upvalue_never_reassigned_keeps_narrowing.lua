-- An upvalue never assigned after its declaration keeps what the enclosing code proved.
type P = {name: string}
local function f(p: P?): () -> string
    if not p then
        return function() return "" end
    end
    return function()
        return p.name
    end
end
print(f(nil))
