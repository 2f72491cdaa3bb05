-- `+ - *`, `//` and `%` of integers are integers; `#` is an integer.
local function need(n: integer): integer
    return n
end
local a = 7
local b = 2
print(need(a + b), need(a - b), need(a * b), need(a // b), need(a % b), need(-a))
print(need(#"hello"), need(#{ 1, 2 }))
