-- `x and x.y` does not index a nil.
type P = {name: string}
local function f(p: P?): string?
    return p and p.name
end
print(f(nil))
