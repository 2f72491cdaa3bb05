-- A local function may call itself; its declared signature is known inside.
local function fact(n: integer): integer
    if n <= 1 then
        return 1
    end
    return n * fact(n - 1)
end
print(fact(5))
print(fact("5")) -- expect-error: argument 1 (n) is string, not integer
