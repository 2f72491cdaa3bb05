-- Typed varargs: each value has the declared type.
local function join(...: string): string
    local out = ""
    for _, s in ipairs({...}) do
        out = out .. s
    end
    return out
end
print(join("a", "b"))
