-- `ipairs` gives non-nil elements, even in strict terms.
type P = {name: string}
local function names(ps: {P}): string
    local out = ""
    for _, p in ipairs(ps) do
        out = out .. p.name
    end
    return out
end
print(names({}))
