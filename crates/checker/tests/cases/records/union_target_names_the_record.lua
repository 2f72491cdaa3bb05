-- Against a union, the member of the value's kind explains the mismatch.
type Target = {url: string} | string
local function go(t: Target): string
    return tostring(t)
end
print(go({ uri = "x" })) -- expect-error: E0004 argument 1 (t): `uri` is not a field of {url: string}; did you mean `url`?
print(go("x"), go({ url = "y" }))
