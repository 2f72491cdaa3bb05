-- A method every member has is fine on the union.
type A = {name: string, kind: "a"}
type B = {name: string, kind: "b"}
local function f(x: A | B): string
    return x.name
end
print(f({name = "n", kind = "a"}))
