-- Writing a value that may be nil into a required field.
type P = {name: string}
local function f(p: P, n: string?)
    p.name = n -- expect-error: E0000 cannot assign to field `name` of P (declared string): the value may be nil
end
print(f)
