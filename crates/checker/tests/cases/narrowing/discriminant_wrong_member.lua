-- Inside one member's branch, the other member's field is missing.
type Ok = {kind: "ok", value: string}
type Err = {kind: "err", message: string}
local function f(r: Ok | Err): string
    if r.kind == "ok" then
        return r.message -- expect-error: E0004 no field `message`
    end
    return ""
end
print(f({kind = "ok", value = "v"}))
