-- `(A | B)?`: nil is reported before the members.
type A = {x: integer}
type B = {x: integer}
local function f(v: (A | B)?): integer
    return v.x -- expect-error: E0023 cannot index `v`: it may be nil
end
print(f(nil))
