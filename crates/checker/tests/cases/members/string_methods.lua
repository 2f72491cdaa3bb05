-- String values reach the string library with `:`.
local s = "Hello"
print(s:upper(), s:lower(), s:len(), ("x"):rep(3))
print(s:uppr()) -- expect-error: no field `uppr` on module string
