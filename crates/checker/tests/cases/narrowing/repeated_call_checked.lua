-- A call proven not nil is not nil when the same call is made again.
local function f(s: string): string?
    if s == "" then
        return nil
    end
    return s
end
local a = "x"
local n = f(a) and f(a):upper()
if f(a) then
    print(f(a):lower())
end
print(n, f(a):upper()) -- expect-error: E0021 cannot call a method of `f(…)`
a = ""
