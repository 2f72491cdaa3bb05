-- An early return on a discriminant narrows the rest.
type Ok = {kind: "ok", value: string}
type Err = {kind: "err", message: string}
local function f(r: Ok | Err): string
    if r.kind == "err" then
        return r.message
    end
    return r.value
end
print(f({kind = "ok", value = "v"}))
