-- `x!` and `e as T` are the programmer's proofs.
type P = {name: string}
local function f(p: P?): string
    return p!.name
end
local function g(v: any): string
    local s = v as string
    return s:upper()
end
local function h(p: P?): string
    local q = p as P
    return q.name
end
print(f({name = "a"}), g("x"), h({name = "b"}))
