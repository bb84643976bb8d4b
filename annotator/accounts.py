from urllib.parse import urlencode

from django import forms
from django.contrib.auth import get_user_model, login
from django.contrib.auth.forms import UserCreationForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods

from annotator.classroom import services as classroom
from annotator.classroom.throttle import client_address
from annotator.errors import ServiceError, TooManyAttempts
from annotator.people import DISPLAY_NAME_MAX, clean_display_name


class SignupForm(UserCreationForm):
    field_order = ("username", "display_name", "password1", "password2", "join_code")
    display_name = forms.CharField(
        label="Display name", required=False, max_length=DISPLAY_NAME_MAX,
        help_text="Optional: how others see you, e.g. Ana Lima. Without one, your username is shown.")
    join_code = forms.CharField(
        label="Class join code", required=False, max_length=40,
        help_text="Optional: the code your teacher gave you, e.g. maple-otter-river-heron-42.")

    def validate_password_for_user(self, user, **kwargs):
        # The rules are about the password typed first: their errors go under it, not under the confirmation.
        super().validate_password_for_user(user, password_field_name="password1")

    def clean_display_name(self):
        try:
            return clean_display_name(self.cleaned_data["display_name"])
        except ServiceError as exc:
            raise forms.ValidationError(exc.message) from None

    def clean_username(self):
        username = super().clean_username()
        # The mirror of the display-name rule: a new username may not be a name someone goes by.
        if username and get_user_model().objects.filter(first_name__iexact=username).exists():
            raise forms.ValidationError("Someone else goes by that name; choose another.")
        return username

    def save(self, commit=True):
        self.instance.first_name = self.cleaned_data["display_name"]
        return super().save(commit)

    def clean_join_code(self):
        # Only its shape here: the view looks the code up once everything else is valid.
        return classroom.normalise_code(self.cleaned_data["join_code"])


@require_http_methods(["GET", "POST"])
def signup(request):
    """A new account, optionally in a class.

    The join code is looked up only when every other field is valid, through the same
    throttle as joining from My exercises, so the form is no way to test codes; any
    refusal creates nothing.
    """
    if request.user.is_authenticated:
        code = request.GET.get("code", "")
        # A class's join link opened by someone with an account: join from My exercises instead.
        return redirect(f"{reverse('classroom:classes')}?{urlencode({'code': code})}" if code else "home")
    form = SignupForm(request.POST or None, initial={"join_code": request.GET.get("code", "")})
    if request.method == "POST" and form.is_valid():
        code = form.cleaned_data["join_code"]
        try:
            joining = classroom.class_for_code(code, address=client_address(request)) if code else None
        except ServiceError as exc:
            form.add_error("join_code", exc.message)
            paused = isinstance(exc, TooManyAttempts)
            response = render(request, "registration/signup.html", {"form": form}, status=429 if paused else 200)
            if paused:
                response["Retry-After"] = str(exc.retry_after)
            return response
        with transaction.atomic():
            user = form.save()
            if joining:
                classroom.enrol(user, joining)
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        if joining:
            return redirect("classroom:classes")
        target = request.GET.get("next", "")
        if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
            return redirect(target)
        return redirect("home")
    return render(request, "registration/signup.html", {"form": form})
