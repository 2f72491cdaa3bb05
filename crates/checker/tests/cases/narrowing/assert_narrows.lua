-- `assert(p)` narrows `p` after it.
type P = {name: string}
local function f(p: P?): string
    assert(p, "p is required")
    return p.name
end
print(f({name = "a"}))
