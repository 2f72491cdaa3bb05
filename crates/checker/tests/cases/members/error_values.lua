-- Error values have methods.
local _, err = json.decode("x")
if err then
    print(err:message(), err:kind())
end
